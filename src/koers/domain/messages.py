"""Every message a domain error can carry: code -> English template with {name} placeholders.

Templates are wrapped in N_() so Babel extracts them; the Dutch text lives in
web/translations/nl/errors.po, keyed by the English template. Parameters named `field` or
`location` are not allowed (those are keyword arguments of KoersError): use `name`.
"""

from __future__ import annotations


def N_(s: str) -> str:
    """Mark a string for extraction without translating it here."""
    return s


MESSAGES: dict[str, str] = {
    # transitional: an unconverted raise site's English text
    "message": "{text}",
    # any entity: not found, edited concurrently (codes built from the repository's noun)
    "team.not_found": N_("team {id} does not exist"),
    "team.stale": N_("team {id} was changed by someone else (version {version} is stale)"),
    "user.not_found": N_("user {id} does not exist"),
    "user.stale": N_("user {id} was changed by someone else (version {version} is stale)"),
    "cycle.not_found": N_("cycle {id} does not exist"),
    "cycle.stale": N_("cycle {id} was changed by someone else (version {version} is stale)"),
    "objective.not_found": N_("objective {id} does not exist"),
    "objective.stale": N_("objective {id} was changed by someone else (version {version} is stale)"),
    "key_result.not_found": N_("key result {id} does not exist"),
    "key_result.stale": N_("key result {id} was changed by someone else (version {version} is stale)"),
    "kpi.not_found": N_("KPI {id} does not exist"),
    "kpi.stale": N_("KPI {id} was changed by someone else (version {version} is stale)"),
    "initiative.not_found": N_("initiative {id} does not exist"),
    "initiative.stale": N_("initiative {id} was changed by someone else (version {version} is stale)"),
    "check_in.not_found": N_("check-in {id} does not exist"),
    "check_in.stale": N_("check-in {id} was changed by someone else (version {version} is stale)"),
    "measurement.not_found": N_("measurement {id} does not exist"),
    "measurement.stale": N_("measurement {id} was changed by someone else (version {version} is stale)"),
    # fields and values
    "field.not_changeable": N_("{name!r} cannot be changed here; changeable fields: {allowed}"),
    "field.not_one_of": N_("{name} must be one of {allowed}; got {value!r}"),
    "text.empty": N_("{name} must not be empty"),
    "text.too_long": N_("{name} is longer than {max} characters"),
    "number.invalid": N_("{name} must be a number; got {value!r}"),
    "number.not_finite": N_("{name} must be a finite number; got {value!r}"),
    "number.unreadable": N_("{name} must be a number; got {value!r}: write {plain} or {grouped}"),
    "number.wrong_unit": N_("{name} is counted in {unit}, not {typed}; got {value!r}"),
    "id.invalid": N_("{name} must be a whole number id; got {value!r}"),
    "date.invalid": N_("{name} must be a date as YYYY-MM-DD; got {value!r}"),
    "moment.invalid": N_("{name} must be a date-time like 2026-11-28T09:30; got {value!r}"),
    "moment.in_future": N_("{name} {moment} lies in the future"),
    "note.too_long": N_("note is longer than {max} characters"),
    "cursor.invalid": N_("cursor is not one this server handed out"),
    "limit.out_of_range": N_("limit must be between 1 and {max}"),
    # --- fields: declared limits of domain/fields.py, checked by domain/validation.check_field ---
    "field.required": N_("{name} is required"),
    "field.unknown": N_("{name} is not a field of a {entity}"),
    "text.invalid": N_("{name} must be text; got {value!r}"),
    "text.too_short": N_("{name} needs at least {min} characters"),
    "text.one_line": N_("{name} must be on one line"),
    "text.control_character": N_("{name} must not contain control characters or direction overrides"),
    "number.not_above": N_("{name} must be greater than {above:g}; got {value:g}"),
    "number.too_small": N_("{name} must be at least {min:g}; got {value:g}"),
    "number.too_large": N_("{name} must be at most {max:g}; got {value:g}"),
    "bool.invalid": N_("{name} must be true or false; got {value!r}"),
    "date.out_of_range": N_("{name} must lie between {first} and {last}; got {value}"),
    "list.invalid": N_("{name} must be a list; got {value!r}"),
    "list.too_long": N_("{name} has more than {max} items"),
    # accounts: logins, tokens, passwords
    "login.wrong_credentials": N_("wrong email or password"),
    "login.too_many_attempts": N_("too many failed logins; try again later"),
    "token.missing": N_("this endpoint needs a bearer token (Authorization: Bearer ...)"),
    "token.invalid": N_("invalid or expired token"),
    "token.not_found": N_("token {id} does not exist"),
    "token.for_others": N_("you may only create tokens for yourself"),
    "token.expiry_past": N_("expires_at must lie in the future"),
    "token.expiry_days": N_("--expires-in-days must be between 1 and 3650"),
    "password.too_short": N_("a password needs at least {min} characters"),
    "password.too_long": N_("a password has at most {max} characters"),
    # --- accounts ---
    "password.blank": N_("a password cannot be only spaces"),
    "password.common": N_("this password is one of the most common ones; choose another"),
    "password.wrong_current": N_("the current password is wrong"),
    "password.stdin_needed": N_("give the new password on standard input with --password-stdin"),
    "invitation.invalid": N_("this invitation link is not valid"),
    "invitation.expired": N_("this invitation link has expired; ask an admin for a new one"),
    "invitation.used": N_("this invitation link has been used already"),
    "admin_only.set_passwords": N_("only admins may set other people's passwords"),
    "admin_only.enable_users": N_("only admins may enable users"),
    # admin-only actions
    "admin_only.add_users": N_("only admins may add users"),
    "admin_only.change_users": N_("only admins may change users"),
    "admin_only.disable_users": N_("only admins may disable users"),
    "admin_only.create_teams": N_("only admins may create teams"),
    "admin_only.change_teams": N_("only admins may change teams"),
    "admin_only.archive_teams": N_("only admins may archive teams"),
    "admin_only.create_cycles": N_("only admins may create cycles"),
    "admin_only.change_cycles": N_("only admins may change cycles"),
    "admin_only.close_cycles": N_("only admins may close cycles"),
    "admin_only.import_documents": N_("only admins may import documents"),
    "admin_only.read_audit_trail": N_("only admins may read the audit trail"),
    "admin_only.manage_koers": N_("only admins may manage Koers"),
    # users
    "user.disabled": N_("user {email} is disabled"),
    "user.email_taken": N_("a user with email {email} already exists"),
    "user.email_invalid": N_("{email!r} is not a valid email address"),
    "user.email_unknown": N_("no user with email {email}"),
    "user.last_admin": N_("this is the last admin: make someone else admin first"),
    "user.disable_self": N_("you cannot disable yourself: ask another admin"),
    "user.change_forbidden": N_("you may not change user {id}"),
    # teams
    "team.name_taken": N_("a team named {name!r} already exists"),
    "team.loop": N_("team {name!r} cannot sit under one of its own sub-teams"),
    # cycles
    "cycle.name_taken": N_("a cycle named {name!r} already exists"),
    "cycle.name_unknown": N_("no cycle named {names}"),
    "cycle.end_before_start": N_("end_date ({end}) must be after start_date ({start})"),
    "cycle.create_closed": N_(
        "a new cycle cannot start closed; close it afterwards (koers cycle close, POST /cycles/{{id}}/close)"
    ),
    "cycle.close_separately": N_(
        "close a cycle with koers cycle close (POST /cycles/{{id}}/close), which grades its objectives"
    ),
    "cycle.closed_frozen": N_("cycle {name} is closed and can no longer change"),
    # --- history ---
    "cycle.closed_read_only": N_(
        "cycle {name} is closed: its objectives, key results and initiatives can no longer change"
    ),
    "cycle.already_closed": N_("cycle {name} is already closed"),
    # issue 15: closing asks for an active cycle; grades overridden by hand
    "cycle.close_planning": N_("cycle {name} is still being planned: make it active before you close it"),
    "grade.cycle_open": N_("objective {id} has no grade yet: its cycle {name} is not closed"),
    "grade.override_forbidden": N_("only admins and the lead of its team may override the grade of objective {id}"),
    # objectives
    "objective.cycle_closed": N_("cycle {name} is closed: new objectives go into an open cycle"),
    "objective.create_forbidden": N_("members create objectives for their own teams or owned by themselves"),
    "objective.change_forbidden": N_("you may not change objective {id}"),
    "objective.archive_forbidden": N_("you may not archive objective {id}"),
    "objective.team_forbidden": N_("you cannot hand an objective to a team you are not in"),
    "objective.alignment_loop": N_("aligning objective {id} under {parent_id} would make a loop"),
    "objective.strategic_under_tactical": N_("a strategic objective cannot align under a tactical one"),
    # key results
    "key_result.cycle_closed": N_("cycle {name} is closed: key results can no longer be added"),
    "key_result.add_forbidden": N_("you may not add key results to objective {id}"),
    "key_result.change_forbidden": N_("you may not change key result {id}"),
    "key_result.archive_forbidden": N_("you may not archive key result {id}"),
    "key_result.archived": N_("key result {id} is archived: check-ins are closed"),
    "key_result.weight_not_positive": N_("weight must be greater than 0; got {weight}"),
    "key_result.needs_value_a": N_("a {kind} key result needs a {name}"),
    "key_result.needs_value_an": N_("an {kind} key result needs a {name}"),
    "key_result.value_required": N_("{name} is required for this kind of key result"),
    "key_result.increase_target": N_(
        "an increase key result needs a target above its baseline (baseline {baseline:g}, target {target:g})"
    ),
    "key_result.decrease_target": N_(
        "a decrease key result needs a target below its baseline (baseline {baseline:g}, target {target:g})"
    ),
    "key_result.range_inverted": N_("target_low ({low:g}) must not be above target_high ({high:g})"),
    "key_result.milestone_target": N_("a milestone goes from 0 (not done) to 1 (done)"),
    # --- scoring ---
    "key_result.milestone_history": N_(
        "this key result has check-ins other than 0 or 1 (such as {value:g}), so it cannot become a milestone: "
        "add a new milestone key result instead"
    ),
    # check-ins
    "check_in.forbidden": N_("you may not check in on key result {id}"),
    "check_in.cycle_closed": N_("cycle {name} is closed: check-ins are no longer accepted"),
    "check_in.milestone_value": N_("a milestone is checked in as 0 (not done) or 1 (done); got {value:g}"),
    "check_in.milestone_word": N_("a milestone is checked in as done or not done (1 or 0); got {value!r}"),
    # KPIs and measurements
    "kpi.create_forbidden": N_("members create KPIs for their own teams or owned by themselves"),
    "kpi.change_forbidden": N_("you may not change KPI {id}"),
    "kpi.archive_forbidden": N_("you may not archive KPI {id}"),
    "kpi.team_forbidden": N_("you cannot hand a KPI to a team you are not in"),
    "kpi.archived": N_("KPI {id} is archived: measurements are closed"),
    "kpi.range_needs_bounds": N_("an in_range KPI needs target_low and target_high"),
    "kpi.range_inverted": N_("target_low must not be above target_high"),
    "kpi.range_green_negative": N_("green_at of an in_range KPI is a distance and must be ≥ 0"),
    "kpi.red_above_green": N_("red_at ({red:g}) must not be above green_at ({green:g}) for a {direction} KPI"),
    "kpi.red_below_green": N_("red_at ({red:g}) must not be below green_at ({green:g}) for a {direction} KPI"),
    "measurement.forbidden": N_("you may not record measurements of KPI {id}"),
    # initiatives
    "initiative.add_forbidden": N_("you may not add initiatives to objective {id}"),
    "initiative.change_forbidden": N_("you may not change initiative {id}"),
    "initiative.parent_ambiguous": N_("an initiative belongs to either an objective or a key result"),
    "initiative.parent_missing": N_("an initiative needs --objective or --kr"),
    # import documents and files
    "document.not_object": N_("an import document is a JSON/YAML object with cycles, teams, users, kpis, objectives"),
    "document.invalid": N_("invalid import document: {problems}"),
    "document.too_large": N_("the document is larger than {megabytes} MB"),
    "document.database_not_empty": N_(
        "the database already holds objectives or KPIs: importing again would add them twice. "
        "Import into an empty database, or pass --append to add the document's goals anyway"
    ),
    "document.duplicate_id": N_("{where}: {noun} id {id} appears twice in the document"),
    "document.unknown_reference": N_("{where} refers to {noun} {id}, which is not in the document"),
    "document.foreign_key_result": N_("{where}.key_result_id {id} is not a key result of this objective"),
    "document.alignment_loop": N_("objectives[{index}].parent_id: the alignment of objective {id} makes a loop"),
    "document.strategic_under_tactical": N_(
        "objectives[{index}].parent_id: a strategic objective cannot align under a tactical one"
    ),
    "document.at": N_("{where}: {detail}"),
    "document.in_future": N_("{where}: {moment} lies in the future"),
    "file.missing": N_("no such file: {file}"),
    "file.is_directory": N_("{file} is a directory, not a document"),
    "file.not_utf8": N_("{file} is not UTF-8 text"),
    "file.empty": N_("{file} is empty"),
    "file.invalid_yaml": N_("{file} is not valid YAML: {problem}"),
    "file.invalid_yaml_at": N_("{file} is not valid YAML at line {line}: {problem}"),
    "file.invalid_json": N_("{file} is not valid JSON: {problem} at line {line}, column {column}"),
    # coach
    "lint.text_or_file": N_("give either TEXT or --file FILE"),
    "lint.not_text": N_("{name} must be a string, not {type}"),
    "lint.empty": N_("{name} is empty: give the statement to lint"),
    "lint.lang_unknown": N_("lang must be one of auto, nl, en; got {lang!r}"),
    "lint.kind_unknown": N_("kind must be one of {kinds}; got {kind!r}"),
    "lint.key_results_one_string": N_("key_results must be a sequence of strings, not one string"),
    "lint.document_not_object": N_("{where} must be an object, not {type}"),
    "lint.title_not_text": N_("{where}.title must be a string, not {type}"),
    "lint.title_empty": N_("{where}.title is empty"),
    "lint.not_list": N_("{where}.{key} must be a list, not {type}"),
    # the demo, idempotency, the database
    "demo.database_not_empty": N_("the database already holds data: the demo goes into an empty database"),
    "idempotency.key_invalid": N_("Idempotency-Key must be 1–{max} printable characters"),
    "idempotency.key_reused": N_("Idempotency-Key {key!r} was already used for another request ({endpoint})"),
    # http
    "idempotency.key_body_changed": N_(
        "Idempotency-Key {key!r} was already used with a different request body; send a new key for a new request"
    ),
    "database.invalid_url": N_("KOERS_DATABASE_URL is not a valid database URL: {reason}"),
    "database.unreachable": N_("cannot open the database {url}: {reason}"),
    "database.newer": N_(
        "the database is at schema revision {revision}, which this Koers does not know (its newest is {head}): "
        "use the newer Koers that wrote it"
    ),
    # the CLI acting as a person (--as EMAIL, KOERS_USER)
    "cli.actor_missing": N_("who is this? give --as EMAIL or set KOERS_USER for {action}"),
    # --- insight: planned pace (domain/plan.py) ---
    "plan.invalid": N_("plan must be an object with a shape; got {value!r}"),
    "plan.points_required": N_("a plan of shape points needs at least one point"),
    "plan.points_not_allowed": N_("only a plan of shape points has points; this plan is {shape}"),
    "plan.point_invalid": N_("plan point {index} must have a date and a value, and nothing else"),
    "plan.point_outside_cycle": N_(
        "plan point {index} ({date}) must lie inside the cycle, after {start} and before {end}"
    ),
    "plan.dates_not_increasing": N_("plan point {index} ({date}) must come after the point before it ({previous})"),
    # --- close & what-if ---
    "what_if.no_values": N_("values is empty: give at least one key result id and a value"),
    "what_if.too_many_values": N_("values holds more than {max} key results: ask about fewer at once"),
    "carry_over.same_cycle": N_("the objective is already in cycle {name}: carry it over to another cycle"),
    # --- reports ---
    "report.binary_to_terminal": N_(
        "a {format} report is binary: write it to a file with -o FILE or redirect the output"
    ),
    # --- data sources, scheduled jobs and outgoing requests (issue 11: domain/sources.py, integrations/net.py) ---
    "source.not_found": N_("data source {id} does not exist"),
    "source.stale": N_("data source {id} was changed by someone else (version {version} is stale)"),
    "source.none": N_("{what} {id} has no data source"),
    "source.every_invalid": N_("every must be a number and a unit like 15m, 1h or 1d (s, m, h, d); got {value!r}"),
    "source.every_out_of_range": N_("every must lie between 1m and 366d; got {value!r}"),
    "source.selector_invalid": N_("selector must look like $.path.to.number or $.items[0].value; got {selector!r}"),
    "source.selector_missing": N_("the answer has nothing at {selector} (no {step!r})"),
    "source.not_a_number": N_("the source gave {value}, not a number"),
    "source.column_empty": N_("the column holds no values"),
    "source.field_unknown": N_("{name} is not a setting of a {kind} source"),
    "source.field_required": N_("a {kind} source needs {name}"),
    "source.headers_invalid": N_("headers must be an object of at most {max} header names and one-line values"),
    "source.admin_only": N_("only admins configure {kind} sources: they reach into the server's own network and disk"),
    "source.forbidden": N_("you may not change the data source of {what} {id}"),
    "source.push_token_invalid": N_("wrong or missing X-Koers-Push-Token"),
    "source.env_missing": N_("the environment variable {name} is not set"),
    "source.sql_failed": N_("the query failed: {reason}"),
    "source.sql_shape": N_(
        "the query must return one row with one number; it returned {rows} row(s) of {columns} column(s)"
    ),
    "source.sql_timeout": N_("the query took longer than {seconds:g} seconds and was stopped"),
    "source.csv_column_missing": N_("column {column!r} is not in the CSV; its columns: {columns}"),
    "source.csv_unreadable": N_("the CSV cannot be read: {reason}"),
    "source.file_unreadable": N_("the file {path} cannot be read: {reason}"),
    "source.json_invalid": N_("the answer is no JSON: {reason}"),
    "source.target_invalid": N_("name the KPI as kpi:ID or the key result as kr:ID; got {value!r}"),
    "job.unknown": N_("no job named {name}; the jobs are: {names}"),
    "net.url_invalid": N_("{url!r} is not a valid http(s) URL"),
    "net.scheme_refused": N_("only http and https URLs are fetched; got {scheme}"),
    "net.address_refused": N_(
        "{address} lies in a {range} range: Koers sends no requests there (KOERS_ALLOW_PRIVATE_NETWORKS=1 allows "
        "loopback and private networks on-premise)"
    ),
    "net.unresolved": N_("the host {host} cannot be resolved: {reason}"),
    "net.timeout": N_("{url} did not answer within {seconds:g} seconds"),
    "net.failed": N_("the request to {url} failed: {reason}"),
    "net.status": N_("{url} answered with status {status}"),
    "net.too_large": N_("the answer is larger than {max} bytes"),
    "net.too_many_redirects": N_("more than {max} redirects"),
    # issue 11: webhooks, reminders, one-click links, chat
    "admin_only.webhooks": N_("only admins manage webhooks"),
    "webhook.not_found": N_("webhook {id} does not exist"),
    "webhook.url_invalid": N_("the webhook URL must be an http(s) URL of at most 2000 characters"),
    "webhook.events_invalid": N_("choose one or more events of: {events}"),
    "webhook.format_invalid": N_("the format must be one of: {formats}"),
    "webhook.lang_invalid": N_("the language must be nl or en"),
    "webhook.secret_invalid": N_("the secret must be at most {max} characters, without control characters"),
    # one code for sources and webhooks alike (koers.integrations.secrets)
    "secret.no_key": N_(
        "storing a secret needs KOERS_SECRET_KEY or KOERS_SECRET_KEY_FILE (at least {min} characters) in the "
        "server's settings"
    ),
    "secret.unreadable": N_("the stored secret cannot be read with this KOERS_SECRET_KEY: set it again"),
    "team.reminders_forbidden": N_("only admins and the team's lead may set the reminders of team {id}"),
    "team.reminder_weekday": N_("the reminder day must be 0 (Monday) to 6 (Sunday)"),
    "team.reminder_hour": N_("the reminder hour must be 0 to 23"),
    "user.preferences_forbidden": N_("you may change only your own mail and chat settings"),
    "user.mail_choice": N_("the mail choice must be one of: {choices}"),
    "user.chat_id_invalid": N_("a chat id has letters, digits and - _ : . only, and is not too long"),
    "user.chat_id_taken": N_("this chat id belongs to someone else already"),
    "check_in_link.invalid": N_("this check-in link does not exist"),
    "check_in_link.used": N_("this check-in link has been used already: each link records one check-in"),
    "check_in_link.expired": N_("this check-in link has expired (links are valid for 7 days)"),
    "chat.signature_invalid": N_("the request's signature or timestamp is not valid"),
}
