"""The local web app (`givefirst serve`): the same services as the CLI, in a browser."""

from givefirst.web.app import create_app

__all__ = ["create_app"]
