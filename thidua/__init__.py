"""thidua: the command line and the run that ties crawler, corpus, extract and search_api (on `runtime`)."""
