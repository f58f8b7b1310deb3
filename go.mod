module github.com/mitwirken/mitwirken

go 1.26.8
