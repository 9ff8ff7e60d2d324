/*
 * cmd_policy.c — `fairtop policy [--policy FILE] [--format text|json]`
 *
 * Every threshold in force and where it came from: the built-in
 * default, a file (with its line), or the file named by
 * $FAIRTOP_POLICY; when no file was found, the files looked for.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "core/json.h"
#include "core/number.h"
#include "core/policy.h"

static int run(struct cmd_args *a)
{
	const struct policy *p = a->policy;
	enum output_format format = output_format_of(a->format);

	char num[64], buf[1024];
	if (format == FORMAT_JSON) {
		struct json_writer w;
		json_writer_init(&w, stdout);
		json_object_begin(&w);
		json_key(&w, "source");
		json_str(&w, p->source);
		json_key(&w, "searched"); /* [] when a file was named */
		json_array_begin(&w);
		for (const char *q = p->searched; *q != '\0';) {
			size_t n = strcspn(q, "\n");
			char path[sizeof p->searched];
			snprintf(path, sizeof path, "%.*s", (int)n, q);
			json_str(&w, path);
			q += n + (q[n] == '\n');
		}
		json_array_end(&w);
		json_key(&w, "values");
		json_array_begin(&w);
		for (int k = 0; k <= POLICY_NKEYS; k++) {
			/* the numbers, then deploy.exec */
			const struct policy_key_info *ki =
				k < POLICY_NKEYS ? policy_key_info(k) : NULL;
			json_space(&w, "\n  ");
			json_object_begin(&w);
			json_key(&w, "section");
			json_str(&w, ki ? ki->section : "deploy");
			json_key(&w, "key");
			json_str(&w, ki ? ki->name : "exec");
			json_key(&w, "value");
			if (ki == NULL)
				json_str(&w, p->deploy_exec[0] ? p->deploy_exec
							       : NULL);
			else if (ki->is_bool)
				json_bool(&w, policy_get(p, k) != 0);
			else
				json_num(&w, policy_get(p, k));
			json_key(&w, "origin");
			json_str(&w, ki ? p->value[k].origin
					: p->deploy_exec_origin);
			json_object_end(&w);
		}
		json_space(&w, "\n");
		json_array_end(&w);
		json_object_end(&w);
		putchar('\n');
		return EXIT_OK;
	}
	printf("policy in force: %s", output_safe(buf, sizeof buf, p->source));
	if (strcmp(p->source, "built-in defaults") == 0 && p->searched[0]) {
		/* none found: where one would have been read */
		char list[2 * sizeof p->searched], shown[sizeof list];
		size_t n = 0;
		for (const char *q = p->searched; *q; q++) {
			if (*q == '\n')
				list[n++] = ',', list[n++] = ' ';
			else
				list[n++] = *q;
		}
		list[n] = '\0';
		printf(" (no policy file: looked for %s)",
		       output_safe(shown, sizeof shown, list));
	}
	putchar('\n');
	const char *section = "";
	for (int k = 0; k < POLICY_NKEYS; k++) {
		const struct policy_key_info *ki = policy_key_info(k);
		if (strcmp(section, ki->section) != 0) {
			section = ki->section;
			printf("\n[%s]\n", section);
		}
		if (ki->is_bool)
			snprintf(num, sizeof num, "%s",
				 policy_get(p, k) ? "true" : "false");
		else
			number_format_shortest(num, sizeof num,
					       policy_get(p, k));
		char left[128];
		snprintf(left, sizeof left, "%s = %s", ki->name, num);
		printf("%-36s ; %s — %s\n", left,
		       output_safe(buf, sizeof buf, p->value[k].origin),
		       ki->meaning);
	}
	char left[1100];
	snprintf(left, sizeof left, "exec = %s", p->deploy_exec);
	char origin[600];
	printf("%-36s ; %s — the deploy hook (none when empty)\n",
	       output_safe(buf, sizeof buf, left),
	       output_safe(origin, sizeof origin, p->deploy_exec_origin));
	return EXIT_OK;
}

static const char *const formats[] = {"text", "json", NULL};

const struct command_spec cmd_policy_spec = {
	.name = "policy",
	.summary = "the fairness policy in force, and where each value came "
		   "from",
	.store = COMMAND_NO_STORE,
	.policy = 1,
	.policy_help = "the policy file",
	.formats = formats,
	.help = "Print the fairness policy in force: each value and where it "
		"came from.\nThe policy is read from the first of: --policy "
		"FILE; $FAIRTOP_POLICY;\n./fairtop.ini; "
		"${XDG_CONFIG_HOME:-$HOME/.config}/fairtop/fairtop.ini;\n"
		"DIR/fairtop/fairtop.ini for each DIR of "
		"${XDG_CONFIG_DIRS:-/etc/xdg}\n(the first that has one); the "
		"built-in defaults.  A file found by this\nsearch that others "
		"may write is warned of.  See fairtop.ini(5).\nAn INI file:\n\n"
		"  [fairness]\n  max_dp_difference = 0.10\n"
		"  min_dp_ratio = 0.80\n  max_eo_difference = 0.10\n"
		"  max_rate_drop = 0.05\n  min_group_size = 30",
	.run = run,
};
