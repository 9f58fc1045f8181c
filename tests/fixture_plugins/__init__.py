"""Small plugins registered only in the test session to exercise the framework."""
