"""No models: this app reads others and writes nothing."""
