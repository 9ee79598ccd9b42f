"""Real-layout templates for the Anhui-side sample archive, one module per publisher layout."""
