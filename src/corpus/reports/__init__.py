"""Reports: execute the planned notebooks on the published data package and render static HTML."""
