"""Ads: the platform's ad network (régie) with self-serve campaigns, and free classified ads."""
