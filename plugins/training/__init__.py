"""Training: curricula, cohorts, assessments and certificates anyone can verify."""
