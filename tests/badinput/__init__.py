"""The generated bad-input suite: every command, spec file, cycle CSV, sweep spec and
output path a user can get wrong, each run bounded and checked for a clear error."""
