"""Spiders: the profile-driven base and one spider per site profile (`scrapy crawl <site>`)."""
