// Choosing services with --services, and the text of `reachprobe list`.
#include "catalogue/selection.h"

#include <gtest/gtest.h>

#include "catalogue/catalogue_loader.h"

namespace rp {
namespace {

Catalogue sample() {
  Catalogue c{"2026.11.29", {}};
  for (const char* id : {"whatsapp", "telegram", "signal"}) {
    Service s;
    s.id = id;
    s.name = id;
    s.provider = "Example";
    c.services.push_back(s);
  }
  c.services[2].domains.push_back({"chat.example.org", {}});
  c.services[2].endpoints.push_back({"chat.example.org", 443, Transport::tls, "", {}});
  c.services[2].endpoints.push_back({"192.0.2.1", 5222, Transport::tcp, "the app speaks XMPP here", {}});
  UrlEntry u;
  u.url = "https://chat.example.org/";
  u.healthy.status = {200, 204};
  u.healthy.title_contains = "Chat";
  c.services[2].urls.push_back(u);
  c.services[2].provider_asns.push_back({64496, {}});
  return c;
}

TEST(SelectServices, WithNoNamesKeepsEveryService) {
  auto s = select_services(sample(), {});
  ASSERT_TRUE(s.catalogue);
  EXPECT_EQ(s.catalogue->services.size(), 3u);
}

TEST(SelectServices, KeepsTheOrderAskedAcceptsCommasAndDropsRepeats) {
  auto s = select_services(sample(), {"signal, WhatsApp", "signal"});
  ASSERT_TRUE(s.catalogue) << s.error;
  ASSERT_EQ(s.catalogue->services.size(), 2u);
  EXPECT_EQ(s.catalogue->services[0].id, "signal");
  EXPECT_EQ(s.catalogue->services[1].id, "whatsapp");
  EXPECT_EQ(s.catalogue->version, "2026.11.29");
}

TEST(SelectServices, NamesTheUnknownIdsAndListsTheValidOnes) {
  auto s = select_services(sample(), {"whatsap,icq"});
  EXPECT_FALSE(s.catalogue);
  EXPECT_EQ(s.error,
            "unknown services \"whatsap\" (did you mean \"whatsapp\"?), \"icq\"; valid services: signal, telegram, "
            "whatsapp");
}

TEST(ServiceList, ShowsTheVersionAndEveryInputWithItsHealthyRuleAndNote) {
  std::string text = format_service_list(sample());
  EXPECT_NE(text.find("Target catalogue 2026.11.29: 3 services"), std::string::npos) << text;
  EXPECT_NE(text.find("signal  signal (Example)"), std::string::npos) << text;
  EXPECT_NE(text.find("provider ASNs: AS64496"), std::string::npos) << text;
  EXPECT_NE(text.find("dns       chat.example.org"), std::string::npos) << text;
  EXPECT_NE(text.find("endpoint  192.0.2.1:5222/tcp  (the app speaks XMPP here)"), std::string::npos) << text;
  EXPECT_NE(text.find("url       https://chat.example.org/  healthy: status 200|204, title contains \"Chat\""),
            std::string::npos)
      << text;
}

TEST(ServiceList, DescribesTheShippedCatalogue) {
  auto load = load_catalogue(SHIPPED_CATALOGUE);
  ASSERT_TRUE(load.catalogue) << load.error;
  std::string text = format_service_list(*load.catalogue);
  EXPECT_NE(text.find("Target catalogue 2026.11.29: 18 services"), std::string::npos);
  EXPECT_NE(text.find("pinned CA for chat.signal.org"), std::string::npos);
}

}  // namespace
}  // namespace rp
