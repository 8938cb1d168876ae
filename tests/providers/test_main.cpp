#include <QTest>

#include "tests/providers/test_providers.h"

QTEST_APPLESS_MAIN(hookbench::tests::TestProviders)
