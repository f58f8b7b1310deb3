# Issue 6: leximin vs legacy on generated pools (200/20/2, 300/35/6, 1000/35/4).
go test -run '^$' -bench 'Leximin|Legacy' -benchtime 1x -timeout 30m ./app/selection/
# The same through the platform: 300 applicants, 35 seats, 4 categories with
# the proposed ±1 quotas, from the stored applications to the published draw.
go test -run '^$' -bench 'DrawLeximin300' -benchtime 1x -count 3 -timeout 30m ./app/web/
