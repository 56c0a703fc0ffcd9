"""Flask extensions, created unbound; ``create_app`` binds them to an app.

The database handle is storage's own (``server/storage/database.py``)."""
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect

socketio = SocketIO()
csrf = CSRFProtect()
