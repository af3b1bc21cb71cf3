"""What Matters Coach: strengths-based question flows over Telegram and the terminal."""

__version__ = "0.1.0"
