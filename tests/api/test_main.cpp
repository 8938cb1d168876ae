#include <QTest>

#include "tests/api/test_api.h"

QTEST_GUILESS_MAIN(hookbench::tests::TestApi)
