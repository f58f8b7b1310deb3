package export

import (
	"context"

	"github.com/mitwirken/mitwirken/app/store"
)

// RunJob runs one claimed job, as Run does for each job it claims.
func (j *Jobs) RunJob(ctx context.Context, job *store.ExportJob) { j.run(ctx, job) }
