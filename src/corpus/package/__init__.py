"""Package: the schemas of the tables, the build of datapackage.json and data/, and its validation."""
