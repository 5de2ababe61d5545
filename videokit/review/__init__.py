"""`videokit review`: check and correct captions in the browser, then render the same job again."""
