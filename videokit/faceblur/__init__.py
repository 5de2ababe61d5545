"""--blur-faces: bystanders found, followed and blurred (detect → tracks → who is kept → patches)."""
