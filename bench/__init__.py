"""The events performance benchmark (issue 3, "Performance"). Run it with `make bench`; see bench/README.md."""
