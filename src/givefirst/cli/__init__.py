"""The command line: thin over `givefirst.services`; heavy libraries are imported only when a command runs."""
