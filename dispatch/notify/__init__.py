"""Messages to customers: rendering (``render``) from Jinja2 templates per locale.

Rendering is pure (no database, no network); sending by e-mail, SMS gateway and
signed webhooks is the channels' job.
"""
