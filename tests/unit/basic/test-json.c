// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "nt-test.h"

static char *render(bool pretty, void (*fn)(struct nt_json *j))
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	struct nt_json j;

	nt_json_init(&j, f, pretty);
	fn(&j);
	fclose(f);
	return buf;
}

static void doc(struct nt_json *j)
{
	nt_json_begin_object(j);
	nt_json_kv_string(j, "name", "eth\"0\"\n\x01");
	nt_json_kv_u64(j, "rx", 18446744073709551615ULL);
	nt_json_kv_i64(j, "delta", -3);
	nt_json_kv_bool(j, "ok", true);
	nt_json_key(j, "list");
	nt_json_begin_array(j);
	nt_json_u64(j, 1);
	nt_json_string(j, NULL);
	nt_json_begin_object(j);
	nt_json_end_object(j);
	nt_json_begin_array(j);
	nt_json_end_array(j);
	nt_json_double(j, 0.5);
	nt_json_end_array(j);
	nt_json_end_object(j);
	nt_json_finish(j);
}

static void test_compact(void **state)
{
	(void)state;
	assert_string_equal_free(render(false, doc),
				 "{\"name\":\"eth\\\"0\\\"\\n\\u0001\",\"rx\":18446744073709551615,"
				 "\"delta\":-3,\"ok\":true,\"list\":[1,null,{},[],0.5]}\n");
}

static void test_pretty(void **state)
{
	(void)state;
	assert_string_equal_free(render(true, doc),
				 "{\n  \"name\": \"eth\\\"0\\\"\\n\\u0001\",\n"
				 "  \"rx\": 18446744073709551615,\n  \"delta\": -3,\n"
				 "  \"ok\": true,\n  \"list\": [\n    1,\n    null,\n    {},\n"
				 "    [],\n    0.5\n  ]\n}\n");
}

static void top_array(struct nt_json *j)
{
	nt_json_begin_array(j);
	nt_json_end_array(j);
	nt_json_finish(j);
}

static void test_empty_top(void **state)
{
	(void)state;
	assert_string_equal_free(render(false, top_array), "[]\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_pretty),
		cmocka_unit_test(test_empty_top),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
