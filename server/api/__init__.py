"""The review API under /api/v1: every route needs a reviewer (cookie or token).

Each resource module owns a child blueprint; this parent adds the reviewer check.
"""
from flask import Blueprint

from server.api import (annotations, assets, clips, experiments, findings, heatmap, issues, media, pages, projects,
                        saved_views, sessions, shares, studies, tokens, webhooks)
from server.auth.identity import require_reviewer

bp = Blueprint("api", __name__)
bp.register_blueprint(sessions.bp)
bp.register_blueprint(pages.bp)
bp.register_blueprint(projects.bp)
bp.register_blueprint(experiments.bp)
bp.register_blueprint(studies.bp)
bp.register_blueprint(annotations.bp)
bp.register_blueprint(findings.bp)
bp.register_blueprint(assets.bp)
bp.register_blueprint(heatmap.bp)
bp.register_blueprint(tokens.bp)
bp.register_blueprint(webhooks.bp)
bp.register_blueprint(shares.bp)
bp.register_blueprint(clips.bp)
bp.register_blueprint(saved_views.bp)
bp.register_blueprint(issues.bp)
bp.register_blueprint(media.bp)


@bp.before_request
def check_reviewer() -> None:
    require_reviewer()
