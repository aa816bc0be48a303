-- The rooms each sign-in session opened a socket to, so signing out can close
-- those sockets wherever they are. A row goes with its session (sign-out, or
-- the hourly sweep of expired sessions).
CREATE TABLE session_rooms (
  session_hash TEXT NOT NULL REFERENCES sessions(token_hash) ON DELETE CASCADE,
  room_id TEXT NOT NULL,
  PRIMARY KEY (session_hash, room_id)
) WITHOUT ROWID;
