# Issue 6: leximin vs legacy on generated pools (200/20/2, 300/35/6, 1000/35/4).
go test -run '^$' -bench 'Leximin|Legacy' -benchtime 1x -timeout 30m ./app/selection/
