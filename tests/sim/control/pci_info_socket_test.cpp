// `info pci` through a real socket on scenarios/msix-storm.yaml (test device storm0 at 00:04.0, BARs
// assigned by the platform's firmware step, MSI-X programmed by timeline writes at time 0): a golden
// transcript of the reply before and after the driver's writes, and the MSI-X pending-bit rule as
// `info pci` shows it: a masked entry's event sets its PBA bit, the unmask sends it and clears it.
// `info nvme` / `info iommu` answer FAIL with the reason (not modelled in this build).
#include "tests/sim/control/server_process.h"

#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>

namespace x86sim::test {
namespace {

const std::string kMsixStorm = std::string(X86SIM_SCENARIOS) + "/msix-storm.yaml";

nlohmann::json storm0(Client& client) {
    const auto reply = client.command("info pci storm0");
    EXPECT_EQ(reply.rfind("OK {", 0), 0U) << reply;
    if (reply.rfind("OK {", 0) != 0) {
        return nlohmann::json::object();
    }
    const auto info = nlohmann::json::parse(reply.substr(3));
    EXPECT_EQ(info["functions"].size(), 1U);
    return info["functions"][0];
}

TEST(ControlPciInfo, GoldenTranscript) {
    std::ifstream in(std::string(GOLDEN_DIR) + "/pci_info.txt");
    ASSERT_TRUE(in);
    ServerProcess server({kMsixStorm});
    Client client(server.port());
    std::string line;
    std::string command;
    while (std::getline(in, line)) {
        if (line.rfind("> ", 0) == 0) {
            command = line.substr(2);
        } else if (line.rfind("< ", 0) == 0) {
            EXPECT_EQ(client.command(command), line.substr(2)) << command;
        }
    }
}

TEST(ControlPciInfo, HeaderBarsAndMsixState) {
    ServerProcess server({kMsixStorm});
    Client client(server.port());
    ASSERT_EQ(client.command("clock_step 20000"), "OK 20000"); // past the time-0 writes, storm running
    auto function = storm0(client);
    EXPECT_EQ(function["bdf"], "00:04.0");
    EXPECT_EQ(function["kind"], "testdev");
    EXPECT_EQ(function["header_type"], "0x00");
    EXPECT_EQ(function["command"], "0x0006"); // the timeline's write: memory + bus master
    EXPECT_EQ(function["bus_master"], true);
    ASSERT_EQ(function["bars"].size(), 3U);
    EXPECT_EQ(function["bars"][0]["address"], "0xc0000000");
    EXPECT_EQ(function["bars"][2]["address"], "0xc0004000");
    EXPECT_EQ(function["bars"][2]["kind"], "mem64");
    EXPECT_EQ(function["bars"][2]["size"], 16384);
    // The ID registers read through the protocol agree with the dump.
    const auto ids = client.command("readl 0xb0020000");
    EXPECT_EQ(ids, "OK 0x00000000" + function["device_id"].get<std::string>().substr(2) +
                       function["vendor_id"].get<std::string>().substr(2));

    const auto& msix = function["msix"];
    EXPECT_EQ(msix["enabled"], true);
    EXPECT_EQ(msix["table_size"], 4);
    ASSERT_EQ(msix["entries_in_use"].size(), 2U); // entries 2 and 3 are untouched, left out
    EXPECT_EQ(msix["entries_in_use"][0]["data"], "0x0050");
    EXPECT_EQ(msix["entries_in_use"][0]["masked"], false);
    EXPECT_EQ(msix["entries_in_use"][1]["masked"], true);
    EXPECT_EQ(msix["pending_vectors"], nlohmann::json::array());
    EXPECT_EQ(function["msi"]["enabled"], false);

    // 550 ms: three events on masked entry 1 -> one PBA bit; 570 ms: unmasked -> sent, bit clear.
    ASSERT_EQ(client.command("clock_step 554980000"), "OK 555000000");
    function = storm0(client);
    EXPECT_EQ(function["msix"]["pending_vectors"], nlohmann::json::array({1}));
    EXPECT_EQ(function["msix"]["entries_in_use"][1]["pending"], true);
    EXPECT_EQ(function["stats"]["msix_pending_set"], 3);
    ASSERT_EQ(client.command("clock_step 20000000"), "OK 575000000");
    function = storm0(client);
    EXPECT_EQ(function["msix"]["pending_vectors"], nlohmann::json::array());
    EXPECT_EQ(function["msix"]["entries_in_use"][1]["data"], "0x0061");
    EXPECT_EQ(function["stats"]["msix_pending_delivered"], 1);
}

TEST(ControlPciInfo, NoDevicesAndUnmodelledTopics) {
    ServerProcess server({});
    Client client(server.port());
    EXPECT_EQ(client.command("info pci"), R"(OK {"ecam_base":"0xb0000000","functions":[]})");
    EXPECT_EQ(client.command("info iommu").rfind("FAIL info iommu: the VT-d IOMMU is not modelled", 0), 0U);
    EXPECT_EQ(client.command("info nvme").rfind("FAIL info nvme: NVMe controllers are not modelled", 0), 0U);
}

} // namespace
} // namespace x86sim::test
