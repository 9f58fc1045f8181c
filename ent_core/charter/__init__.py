"""The ethics charter: versions, signatures and the gate in front of the members' area."""
