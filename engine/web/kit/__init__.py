"""What every page shares: sessions and CSRF, translations, rendering, form errors, routing."""
