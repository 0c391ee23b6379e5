"""thidua: the command line, settings and the run that ties crawler, corpus, extract and search_api."""
