"""Qt models fed with messenger.views snapshots: the conversation, sidebar lists, members."""
