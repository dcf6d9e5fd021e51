"""E-mail through an SMTP server (the standard library's ``smtplib``).

Settings (environment): ``VOLUNTEER_SMTP_HOST`` (default ``localhost``), ``_PORT`` (587),
``_SECURITY`` (``starttls`` | ``ssl`` | ``none``), ``_USER`` and ``_PASSWORD`` (log in when a user
is given), ``_FROM`` (the ``From`` address), ``_TIMEOUT`` (seconds). A refusal the server calls
permanent (5xx for the recipient or the message) fails the message; anything else — the server
down, a 4xx "try later", a failed log-in — is retried with backoff.
"""

from __future__ import annotations

import smtplib
import ssl

from engine.notify.senders import Outgoing, PermanentFailure, Sender, email_message
from engine.settings import get_settings


class SmtpSender(Sender):
    name = "smtp"
    channel = "email"

    def send(self, message: Outgoing) -> None:
        st = get_settings()
        msg = email_message(message, st.smtp_from)
        client: type[smtplib.SMTP] = smtplib.SMTP_SSL if st.smtp_security == "ssl" else smtplib.SMTP
        try:
            with client(st.smtp_host, st.smtp_port, timeout=st.smtp_timeout) as smtp:
                if st.smtp_security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if st.smtp_user:
                    smtp.login(st.smtp_user, st.smtp_password or "")
                smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused: {exc.recipients}") from exc
            raise
        except smtplib.SMTPDataError as exc:
            if exc.smtp_code >= 500:
                raise PermanentFailure(f"message refused: {exc.smtp_code} {exc.smtp_error!r}") from exc
            raise
