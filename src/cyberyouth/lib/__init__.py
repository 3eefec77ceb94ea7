"""Small helpers every app may import — the bottom floor: nothing here imports an app."""
