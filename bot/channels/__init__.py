"""The channels: thin ways in and out over `bot.conversation`, which holds the whole conversation.

    console   the terminal: typed or piped lines in, numbered buttons out
    telegram  the Telegram bot (python-telegram-bot 22), the only package that imports `telegram`
"""
