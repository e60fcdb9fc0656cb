/* atx-fake-jitsi.c — see atx-fake-jitsi.h. */
#define G_LOG_DOMAIN "atx-fake-jitsi"

#include "atx-fake-jitsi.h"

#include <string.h>
#include <libsoup/soup.h>

#ifndef ATX_FAKE_JITSI_STUB
#error "ATX_FAKE_JITSI_STUB (path of fake-jitsi/external_api.js) must be defined"
#endif

#define PING_INTERVAL_MS 1000
#define MAX_RECORD_SIZE (1024 * 1024)

/* The control frame: same origin as the server, so its fetch and
 * EventSource need no CORS and are out of reach of the page's CSP. It says
 * hello once its cue stream is open; the stub holds its records until then. */
static const char control_page[] =
  "<!DOCTYPE html>\n"
  "<html><head><meta charset=\"utf-8\"><title>fake Jitsi control</title></head><body>\n"
  "<script>\n"
  "(function () {\n"
  "  'use strict';\n"
  "  var chain = Promise.resolve();\n"
  "  window.addEventListener('message', function (event) {\n"
  "    if (event.source !== window.parent) return;\n"
  "    var m = event.data;\n"
  "    if (!m || typeof m !== 'object' || m.atxFake !== 'record') return;\n"
  "    var body = JSON.stringify(m.record);\n"
  "    chain = chain.then(function () {\n"
  "      return fetch('/__fake/record', {method: 'POST', body: body,\n"
  "                   headers: {'Content-Type': 'application/json'}}).catch(function () {});\n"
  "    });\n"
  "  });\n"
  "  var source = new EventSource('/__fake/cues');\n"
  "  var greeted = false;\n"
  "  source.addEventListener('open', function () {\n"
  "    if (!greeted) { greeted = true; window.parent.postMessage({atxFake: 'hello'}, '*'); }\n"
  "  });\n"
  "  source.addEventListener('message', function (event) {\n"
  "    var cue;\n"
  "    try { cue = JSON.parse(event.data); } catch (e) { return; }\n"
  "    window.parent.postMessage({atxFake: 'cue', cue: cue}, '*');\n"
  "  });\n"
  "}());\n"
  "</script>\n"
  "</body></html>\n";

static const char room_page[] =
  "<!DOCTYPE html>\n"
  "<html><head><meta charset=\"utf-8\"><title>fake Jitsi room</title></head>"
  "<body style=\"margin:0;background:#2a2a2a\"></body></html>\n";

typedef struct {
  JsonObject *record;
  gboolean    returned;  /* handed out by a wait function */
} Record;

struct _AtxFakeJitsi {
  SoupServer   *server;
  GMainContext *context;
  char         *domain;
  char         *base_url;

  guint         script_status;
  char         *script_body;
  guint         script_requests;
  gboolean      browser_supported;
  gboolean      hangup_closes;
  gboolean      toggles_emit;

  GArray       *records;        /* Record */
  char         *last_domain;
  char         *last_options_type;
  char         *last_iframe_src;
  gint64        last_constructed_at;
  guint         constructed_count;
  guint         disposed_count;
  guint         disposed_waited;

  GQueue        pending_cues;   /* char* SSE frames, while nobody listens */
  guint         next_cue_id;
  SoupServerMessage *cue_stream;  /* the newest listener; older ones are left alone */
  guint         ping_id;

  GPtrArray    *hung;           /* SoupServerMessage* never answered */
};

static void
record_clear (gpointer data)
{
  Record *r = data;

  g_clear_pointer (&r->record, json_object_unref);
}

/* ---- helpers ---- */

static void
add_common_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *origin = soup_message_headers_get_one (request, "Origin");

  soup_message_headers_replace (response, "Access-Control-Allow-Origin",
                                origin != NULL ? origin : "*");
  soup_message_headers_replace (response, "Vary", "Origin");
  soup_message_headers_replace (response, "Cache-Control", "no-store");
}

static void
answer (SoupServerMessage *msg,
        guint              status,
        const char        *content_type,
        const char        *body,
        gssize             length)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body,
                                      length < 0 ? strlen (body) : (gsize) length);
}

static void
iterate_until (AtxFakeJitsi *self,
               gboolean    (*done) (AtxFakeJitsi *self, gpointer data),
               gpointer      data,
               guint         timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (self, data) && g_get_monotonic_time () < deadline)
    {
      /* Never block longer than a short tick: the deadline is ours. */
      if (!g_main_context_iteration (self->context, FALSE))
        g_usleep (2000);
    }
}

/* ---- cues ---- */

static void
stream_write (SoupServerMessage *msg,
              const char        *frame)
{
  soup_message_body_append (soup_server_message_get_response_body (msg),
                            SOUP_MEMORY_COPY, frame, strlen (frame));
  soup_server_message_unpause (msg);
}

static void
on_stream_finished (SoupServerMessage *msg,
                    gpointer           user_data)
{
  AtxFakeJitsi *self = user_data;

  if (self->cue_stream == msg)
    g_clear_object (&self->cue_stream);
}

static gboolean
on_ping (gpointer user_data)
{
  AtxFakeJitsi *self = user_data;

  if (self->cue_stream != NULL)
    stream_write (self->cue_stream, ": ping\n\n");

  return G_SOURCE_CONTINUE;
}

static void
handle_cues (AtxFakeJitsi      *self,
             SoupServerMessage *msg)
{
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  char *frame;

  if (self->cue_stream != NULL)
    g_signal_handlers_disconnect_by_func (self->cue_stream, on_stream_finished, self);
  g_set_object (&self->cue_stream, msg);
  g_signal_connect (msg, "finished", G_CALLBACK (on_stream_finished), self);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (response, "text/event-stream", NULL);
  soup_message_headers_set_encoding (response, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  stream_write (msg, "retry: 200\n\n");
  while ((frame = g_queue_pop_head (&self->pending_cues)) != NULL)
    {
      stream_write (msg, frame);
      g_free (frame);
    }
}

void
atx_fake_jitsi_cue (AtxFakeJitsi *self,
                    const char   *event,
                    const char   *payload_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  char *frame;

  g_return_if_fail (self != NULL);
  g_return_if_fail (event != NULL);

  if (payload_json == NULL)
    payload_json = "{}";
  if (!json_parser_load_from_data (parser, payload_json, -1, NULL))
    g_error ("atx_fake_jitsi_cue: payload is not JSON: %s", payload_json);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, ++self->next_cue_id);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  json_builder_set_member_name (builder, "payload");
  json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  /* json-glib writes no raw newlines, so one data: line holds it. */
  frame = g_strdup_printf ("data: %s\n\n", json);
  if (self->cue_stream != NULL)
    {
      stream_write (self->cue_stream, frame);
      g_free (frame);
    }
  else
    g_queue_push_tail (&self->pending_cues, frame);
}

static gboolean
is_listening (AtxFakeJitsi *self,
              gpointer      data)
{
  return self->cue_stream != NULL;
}

gboolean
atx_fake_jitsi_wait_listening (AtxFakeJitsi *self,
                               guint         timeout_ms)
{
  g_return_val_if_fail (self != NULL, FALSE);

  iterate_until (self, is_listening, NULL, timeout_ms);
  return is_listening (self, NULL);
}

/* ---- records ---- */

static void
handle_record (AtxFakeJitsi      *self,
               SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  JsonNode *root;
  JsonObject *object;
  const char *kind;
  Record r = { 0 };

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      answer (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, NULL, 0);
      return;
    }

  body = soup_message_body_flatten (request_body);
  if (g_bytes_get_size (body) > MAX_RECORD_SIZE ||
      !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                   g_bytes_get_size (body), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
    {
      g_message ("fake Jitsi: a record that is not a JSON object");
      answer (msg, SOUP_STATUS_BAD_REQUEST, NULL, NULL, 0);
      return;
    }

  object = json_node_get_object (root);
  kind = json_object_get_string_member_with_default (object, "kind", "");
  g_debug ("fake Jitsi record: %s", kind);

  if (strcmp (kind, "constructed") == 0)
    {
      g_free (self->last_domain);
      self->last_domain = g_strdup (json_object_get_string_member_with_default (object, "domain", NULL));
      g_free (self->last_options_type);
      self->last_options_type = g_strdup (json_object_get_string_member_with_default (object, "optionsType", NULL));
      g_free (self->last_iframe_src);
      self->last_iframe_src = g_strdup (json_object_get_string_member_with_default (object, "iframeSrc", NULL));
      /* The page's wall clock, in ms since the epoch (0 if absent). */
      self->last_constructed_at = (gint64) (json_object_get_double_member_with_default (object, "at", 0) * 1000);
      self->constructed_count++;
    }
  else if (strcmp (kind, "disposed") == 0)
    self->disposed_count++;

  r.record = json_object_ref (object);
  g_array_append_val (self->records, r);
  answer (msg, SOUP_STATUS_NO_CONTENT, NULL, NULL, 0);
}

typedef struct {
  const char *kind;
  const char *name;  /* commands only */
  int         found; /* index in records, or -1 */
} Lookup;

static gboolean
find_record (AtxFakeJitsi *self,
             gpointer      data)
{
  Lookup *lookup = data;

  for (guint i = 0; i < self->records->len; i++)
    {
      Record *r = &g_array_index (self->records, Record, i);

      if (r->returned ||
          g_strcmp0 (json_object_get_string_member_with_default (r->record, "kind", ""), lookup->kind) != 0)
        continue;
      if (lookup->name != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (r->record, "name", ""), lookup->name) != 0)
        continue;
      lookup->found = i;
      return TRUE;
    }

  return FALSE;
}

JsonObject *
atx_fake_jitsi_wait_constructed (AtxFakeJitsi *self,
                                 guint         timeout_ms)
{
  Lookup lookup = { "constructed", NULL, -1 };
  Record *r;
  JsonNode *options;

  g_return_val_if_fail (self != NULL, NULL);

  iterate_until (self, find_record, &lookup, timeout_ms);
  if (!find_record (self, &lookup))
    return NULL;

  r = &g_array_index (self->records, Record, lookup.found);
  r->returned = TRUE;
  options = json_object_get_member (r->record, "options");
  if (options != NULL && JSON_NODE_HOLDS_OBJECT (options))
    return json_object_ref (json_node_get_object (options));

  return json_object_new ();
}

gboolean
atx_fake_jitsi_wait_command (AtxFakeJitsi  *self,
                             const char    *name,
                             guint          timeout_ms,
                             JsonArray    **args)
{
  Lookup lookup = { "command", name, -1 };
  Record *r;
  JsonNode *node;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  iterate_until (self, find_record, &lookup, timeout_ms);
  if (!find_record (self, &lookup))
    return FALSE;

  r = &g_array_index (self->records, Record, lookup.found);
  r->returned = TRUE;
  if (args != NULL)
    {
      node = json_object_get_member (r->record, "args");
      *args = node != NULL && JSON_NODE_HOLDS_ARRAY (node)
                ? json_array_ref (json_node_get_array (node))
                : json_array_new ();
    }

  return TRUE;
}

GPtrArray *
atx_fake_jitsi_get_commands (AtxFakeJitsi *self)
{
  GPtrArray *commands = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_return_val_if_fail (self != NULL, commands);

  for (guint i = 0; i < self->records->len; i++)
    {
      Record *r = &g_array_index (self->records, Record, i);
      JsonObject *command;
      JsonNode *args;

      if (g_strcmp0 (json_object_get_string_member_with_default (r->record, "kind", ""), "command") != 0)
        continue;

      command = json_object_new ();
      json_object_set_string_member (command, "name",
                                     json_object_get_string_member_with_default (r->record, "name", ""));
      args = json_object_get_member (r->record, "args");
      if (args != NULL)
        json_object_set_member (command, "args", json_node_copy (args));
      else
        json_object_set_array_member (command, "args", json_array_new ());
      g_ptr_array_add (commands, command);
    }

  return commands;
}

GPtrArray *
atx_fake_jitsi_get_records (AtxFakeJitsi *self)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_return_val_if_fail (self != NULL, records);

  for (guint i = 0; i < self->records->len; i++)
    g_ptr_array_add (records, json_object_ref (g_array_index (self->records, Record, i).record));

  return records;
}

static gboolean
was_disposed (AtxFakeJitsi *self,
              gpointer      data)
{
  return self->disposed_count > self->disposed_waited;
}

gboolean
atx_fake_jitsi_wait_disposed (AtxFakeJitsi *self,
                              guint         timeout_ms)
{
  g_return_val_if_fail (self != NULL, FALSE);

  iterate_until (self, was_disposed, NULL, timeout_ms);
  if (!was_disposed (self, NULL))
    return FALSE;

  self->disposed_waited = self->disposed_count;
  return TRUE;
}

const char *
atx_fake_jitsi_get_constructed_domain (AtxFakeJitsi *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->last_domain;
}

const char *
atx_fake_jitsi_get_constructed_options_type (AtxFakeJitsi *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->last_options_type;
}

const char *
atx_fake_jitsi_get_constructed_iframe_src (AtxFakeJitsi *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->last_iframe_src;
}

gint64
atx_fake_jitsi_get_constructed_at (AtxFakeJitsi *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->last_constructed_at;
}

guint
atx_fake_jitsi_get_constructed_count (AtxFakeJitsi *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->constructed_count;
}

void
atx_fake_jitsi_reset (AtxFakeJitsi *self)
{
  g_return_if_fail (self != NULL);

  g_array_set_size (self->records, 0);
  g_queue_clear_full (&self->pending_cues, g_free);
  g_clear_pointer (&self->last_domain, g_free);
  g_clear_pointer (&self->last_options_type, g_free);
  g_clear_pointer (&self->last_iframe_src, g_free);
  self->constructed_count = 0;
  self->last_constructed_at = 0;
  self->disposed_count = 0;
  self->disposed_waited = 0;
}

/* ---- the script ---- */

static void
handle_script (AtxFakeJitsi      *self,
               SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stub = NULL;
  g_autofree char *body = NULL;

  self->script_requests++;

  if (self->script_status == 0)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (self->hung, g_object_ref (msg));
      return;
    }

  if (self->script_status != SOUP_STATUS_OK)
    {
      answer (msg, self->script_status, "text/plain", "", 0);
      return;
    }

  if (self->script_body != NULL)
    {
      answer (msg, SOUP_STATUS_OK, "application/javascript", self->script_body, -1);
      return;
    }

  if (!g_file_get_contents (ATX_FAKE_JITSI_STUB, &stub, NULL, &error))
    g_error ("fake Jitsi: cannot read the stub: %s", error->message);

  body = g_strdup_printf ("window.__atxFakeJitsiSettings = {"
                          "\"browser_supported\": %s, \"hangup_closes\": %s, \"toggles_emit\": %s};\n%s",
                          self->browser_supported ? "true" : "false",
                          self->hangup_closes ? "true" : "false",
                          self->toggles_emit ? "true" : "false",
                          stub);
  answer (msg, SOUP_STATUS_OK, "application/javascript", body, -1);
}

static void
handle_any (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  AtxFakeJitsi *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  add_common_headers (msg);

  if (method == SOUP_METHOD_OPTIONS)
    {
      SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);

      soup_message_headers_replace (response, "Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      soup_message_headers_replace (response, "Access-Control-Allow-Headers", "Content-Type");
      answer (msg, SOUP_STATUS_NO_CONTENT, NULL, NULL, 0);
      return;
    }

  if (strcmp (path, "/external_api.js") == 0)
    handle_script (self, msg);
  else if (strcmp (path, "/__fake/record") == 0)
    handle_record (self, msg);
  else if (strcmp (path, "/__fake/cues") == 0)
    handle_cues (self, msg);
  else if (strcmp (path, "/__fake/control") == 0)
    answer (msg, SOUP_STATUS_OK, "text/html; charset=utf-8", control_page, -1);
  else if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
    answer (msg, SOUP_STATUS_OK, "text/html; charset=utf-8", room_page, -1);
  else
    answer (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, NULL, 0);
}

/* ---- life cycle ---- */

AtxFakeJitsi *
atx_fake_jitsi_new (GError **error)
{
  AtxFakeJitsi *self = g_new0 (AtxFakeJitsi, 1);
  g_autoslist(GUri) uris = NULL;

  self->context = g_main_context_ref_thread_default ();
  self->script_status = SOUP_STATUS_OK;
  self->browser_supported = TRUE;
  self->hangup_closes = TRUE;
  self->toggles_emit = TRUE;
  self->records = g_array_new (FALSE, TRUE, sizeof (Record));
  g_array_set_clear_func (self->records, record_clear);
  g_queue_init (&self->pending_cues);
  self->hung = g_ptr_array_new_with_free_func (g_object_unref);

  self->server = soup_server_new ("server-header", "fake-jitsi", NULL);
  soup_server_add_handler (self->server, NULL, handle_any, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    {
      atx_fake_jitsi_free (self);
      return NULL;
    }

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->domain = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uris->data));
  self->base_url = g_strdup_printf ("http://%s", self->domain);

  self->ping_id = g_timeout_add (PING_INTERVAL_MS, on_ping, self);
  return self;
}

void
atx_fake_jitsi_free (AtxFakeJitsi *self)
{
  if (self == NULL)
    return;

  g_clear_handle_id (&self->ping_id, g_source_remove);
  if (self->cue_stream != NULL)
    g_signal_handlers_disconnect_by_func (self->cue_stream, on_stream_finished, self);
  g_clear_object (&self->cue_stream);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->hung, g_ptr_array_unref);

  g_queue_clear_full (&self->pending_cues, g_free);
  g_clear_pointer (&self->records, g_array_unref);
  g_free (self->last_domain);
  g_free (self->last_options_type);
  g_free (self->last_iframe_src);
  g_free (self->script_body);
  g_free (self->domain);
  g_free (self->base_url);
  g_main_context_unref (self->context);
  g_free (self);
}

const char *
atx_fake_jitsi_get_domain (AtxFakeJitsi *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->domain;
}

const char *
atx_fake_jitsi_get_base_url (AtxFakeJitsi *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->base_url;
}

void
atx_fake_jitsi_set_script_status (AtxFakeJitsi *self,
                                  guint         status)
{
  g_return_if_fail (self != NULL);
  self->script_status = status;
}

void
atx_fake_jitsi_set_script_body (AtxFakeJitsi *self,
                                const char   *javascript)
{
  g_return_if_fail (self != NULL);
  g_free (self->script_body);
  self->script_body = g_strdup (javascript);
}

guint
atx_fake_jitsi_get_script_requests (AtxFakeJitsi *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->script_requests;
}

void
atx_fake_jitsi_set_browser_supported (AtxFakeJitsi *self,
                                      gboolean      supported)
{
  g_return_if_fail (self != NULL);
  self->browser_supported = !!supported;
}

void
atx_fake_jitsi_set_hangup_closes (AtxFakeJitsi *self,
                                  gboolean      closes)
{
  g_return_if_fail (self != NULL);
  self->hangup_closes = !!closes;
}

void
atx_fake_jitsi_set_toggles_emit (AtxFakeJitsi *self,
                                 gboolean      emit)
{
  g_return_if_fail (self != NULL);
  self->toggles_emit = !!emit;
}
