"""Flask extensions, created unbound; ``create_app`` binds them to an app."""
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from server.storage.models import Base

db = SQLAlchemy(model_class=Base)
socketio = SocketIO()
csrf = CSRFProtect()
