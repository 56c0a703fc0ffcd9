"""Live rooms on the Socket.IO namespace /live: observers watch a running session,
share notes, and send the participant moderator commands."""
