"""Then-and-now (Damals–Heute): archive photo + today's photo or clip → one branded clip per platform, in batch."""
