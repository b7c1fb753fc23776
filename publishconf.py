"""Pelican settings for publishing (`make publish`): absolute URLs, feeds on."""

import os
from pathlib import Path

from pelican.settings import get_settings_from_file

# Everything from pelicanconf.py, then the production overrides.
globals().update(get_settings_from_file(str(Path(__file__).with_name("pelicanconf.py"))))

SITEURL = os.environ.get("SITEURL", "https://mohinh-tdbvantq.example.org")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
DELETE_OUTPUT_DIRECTORY = True
# No draft and no story dated after the build's time is written or listed anywhere
# (plugins/schedule); the empty addresses make sure Pelican writes no draft either.
SCHEDULE_PREVIEWS = False
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""

# The published desk (/admin/) edits the GitHub repository through the editorial workflow
# (draft → in review → ready, as branches and pull requests); editors sign in with GitHub
# through an OAuth proxy (README, "Bàn biên tập"). No local backend on the public site.
DESK_LOCAL_BACKEND = None
DESK_EDITORIAL_WORKFLOW = True
# GitHub Actions names the repository it builds (GITHUB_REPOSITORY); DESK_REPO overrides it.
DESK_REPO = os.environ.get("DESK_REPO") or os.environ.get("GITHUB_REPOSITORY") or "OWNER/REPO"
DESK_AUTH_BASE_URL = os.environ.get("DESK_AUTH_BASE_URL") or None
