package web

// selectionRoutes are the routes of the fair selection (issue 6): quotas in
// the admin area, the draw job status and the public draw lookup.
func (s *Server) selectionRoutes() {
	s.selectionQuotaRoutes()
	s.selectionDrawRoutes()
}
