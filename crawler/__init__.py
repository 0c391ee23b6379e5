"""Scrapy project: site profiles, spiders and pipelines that fetch, archive and store articles."""
