package web

// resultsRoutes registers the results of the participation (issue 7): the
// admin exports, the audit log, the open data and the report.
func (s *Server) resultsRoutes() {
	s.adminExportRoutes()
	s.adminAuditRoutes()
	s.openDataRoutes()
	s.reportRoutes()
}
