"""HTTP routes of the users feature: the caller, and user administration (offboarding included)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from omnidesk.domain.permissions import Permission
from omnidesk.protocol import UserCreate
from omnidesk.protocol.users import MeOut, UserAdminOut, UserUpdate
from omnidesk.server.audit import service as audit
from omnidesk.server.context import CallerDep, SessionDep, permitted
from omnidesk.server.users import service
from omnidesk.server.users.models import User
from omnidesk.server.users.service import LastAdmin, UserExists, UserNotFound, create_user, user_out

router = APIRouter(prefix="/api/v1", tags=["users"])
ManagerDep = permitted(Permission.USER_MANAGE)
NOT_FOUND = {404: {"description": "No such user."}}


@router.get("/me", response_model=MeOut)
async def me(caller: CallerDep, session: SessionDep) -> MeOut:
    """The caller, their queues, and every permission their role has in this installation."""
    user = await session.get(User, caller.user_id)
    out = await user_out(session, user)
    active = user.is_active
    await session.rollback()
    return MeOut(**out.model_dump(), permissions=sorted(caller.permissions), is_active=active)


async def _admin_out(session, user: User) -> UserAdminOut:
    out = await user_out(session, user)
    return UserAdminOut(**out.model_dump(), is_active=user.is_active)


@router.get("/users", response_model=list[UserAdminOut])
async def list_users(caller: ManagerDep, session: SessionDep) -> list[UserAdminOut]:
    users = (await session.scalars(select(User).order_by(User.username))).all()
    out = [await _admin_out(session, u) for u in users]
    await audit.record(session, caller.actor, "user.list", "user", None, {"n": len(out)})
    await session.commit()
    return out


@router.post(
    "/users",
    response_model=UserAdminOut,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "The user name exists or is confusable with one that does."}},
)
async def add_user(body: UserCreate, caller: ManagerDep, session: SessionDep) -> UserAdminOut:
    try:
        user = await create_user(
            session,
            username=body.username,
            password=body.password,
            role=body.role,
            display_name=body.display_name,
            queue_ids=body.queue_ids,
            actor=caller.actor,
        )
        await session.commit()
    except UserExists as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    except IntegrityError:
        raise HTTPException(status.HTTP_409_CONFLICT, "that user name already exists") from None
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    return await _admin_out(session, user)


@router.patch(
    "/users/{user_id}",
    response_model=UserAdminOut,
    responses={**NOT_FOUND, 409: {"description": "It would leave no active admin."}},
)
async def change_user(user_id: int, body: UserUpdate, caller: ManagerDep, session: SessionDep) -> UserAdminOut:
    """Change a user's display name, role, password or whether they may sign in (``is_active``).

    Disabling a user or setting a new password ends every session of theirs at once, open event streams included."""
    try:
        user = await service.update_user(
            session,
            user_id,
            actor=caller.actor,
            display_name=body.display_name,
            role=body.role,
            is_active=body.is_active,
            password=body.password,
        )
    except UserNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    except LastAdmin as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    await session.commit()
    return await _admin_out(session, user)


@router.put("/users/{user_id}/queues/{queue_id}", response_model=UserAdminOut, responses=NOT_FOUND)
async def add_to_queue(user_id: int, queue_id: int, caller: ManagerDep, session: SessionDep) -> UserAdminOut:
    """Make the user a member of the queue (nothing changes if they already are)."""
    try:
        await service.add_membership(session, user_id, queue_id, actor=caller.actor)
    except UserNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    except ValueError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    await session.commit()
    return await _admin_out(session, await session.get(User, user_id))


@router.delete("/users/{user_id}/queues/{queue_id}", response_model=UserAdminOut, responses=NOT_FOUND)
async def remove_from_queue(user_id: int, queue_id: int, caller: ManagerDep, session: SessionDep) -> UserAdminOut:
    """Take the user out of the queue; their open streams stop delivering its events within seconds."""
    try:
        await service.remove_membership(session, user_id, queue_id, actor=caller.actor)
    except UserNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    await session.commit()
    return await _admin_out(session, await session.get(User, user_id))


@router.delete("/users/{user_id}/sessions", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
async def revoke_user_sessions(user_id: int, caller: ManagerDep, session: SessionDep) -> Response:
    """Log a user out everywhere (e.g. a lost laptop): their tokens answer 401 now, their streams end in seconds."""
    try:
        await service.get_user(session, user_id)
    except UserNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    count = await service.revoke_sessions(session, user_id)
    await audit.record(session, caller.actor, "user.sessions_revoked", "user", user_id, {"sessions": count})
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
