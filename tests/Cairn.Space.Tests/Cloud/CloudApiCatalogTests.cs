using Cairn.Space.CloudRestore;

namespace Cairn.Space.Tests.Cloud;

/// <summary>A cloud-api provider's section is checked when the catalog loads, and every problem is named.</summary>
public sealed class CloudApiCatalogTests
{
    private const string Good = """
        { "baseUrl": "https://api.cloud.example/v1", "image": "debian-12", "user": "cairn", "targetFolder": "/srv/cairn",
          "serverTypes": { "box": "cx22" }, "tokenVariable": "CAIRN_CLOUD_TOKEN" }
        """;

    [Fact]
    public void A_complete_section_loads_with_the_default_boot_time_and_the_api_root_ending_in_a_slash()
    {
        var api = Load(Provider("cloud-api", Good)).Providers.Single().CloudApi!;
        (api.Image, api.User, api.TargetFolder, api.ServerTypes["box"], api.TokenVariable, api.BootSeconds)
            .Should().Be(("debian-12", "cairn", "/srv/cairn", "cx22", "CAIRN_CLOUD_TOKEN", 600));
        new Uri(api.Api, "servers").Should().Be(new Uri("https://api.cloud.example/v1/servers"));
    }

    [Theory]
    [InlineData("\"baseUrl\": \"https://api.cloud.example/v1\"", "\"baseUrl\": \"http://api.cloud.example/v1\"", "cloudApi.baseUrl")]
    [InlineData("\"image\": \"debian-12\"", "\"image\": \"\"", "cloudApi.image")]
    [InlineData("\"user\": \"cairn\"", "\"user\": \"root\"", "cloudApi.user")]
    [InlineData("\"targetFolder\": \"/srv/cairn\"", "\"targetFolder\": \"/srv/../etc\"", "cloudApi.targetFolder")]
    [InlineData("\"box\": \"cx22\"", "\"other\": \"cx22\"", "no server type for hardware 'box'")]
    [InlineData("\"tokenVariable\": \"CAIRN_CLOUD_TOKEN\"", "\"tokenVariable\": \"A\", \"tokenSetting\": \"B\"", "exactly one of tokenVariable")]
    [InlineData("\"tokenVariable\": \"CAIRN_CLOUD_TOKEN\"", "\"bootSeconds\": 60", "exactly one of tokenVariable")]
    public void A_bad_section_is_refused_naming_the_field(string replace, string with, string named)
    {
        var load = () => Load(Provider("cloud-api", Good.Replace(replace, with, StringComparison.Ordinal)));
        load.Should().Throw<InvalidOperationException>().WithMessage($"*provider 'mine' (driver cloud-api)*{named}*");
    }

    [Fact]
    public void A_missing_section_and_a_section_on_another_driver_are_refused()
    {
        ((Func<CloudCatalog>)(() => Load(Provider("cloud-api", "null")))).Should().Throw<InvalidOperationException>().WithMessage("*a \"cloudApi\" section*is needed*");
        ((Func<CloudCatalog>)(() => Load(Provider("local", Good)))).Should().Throw<InvalidOperationException>().WithMessage("*for driver \"cloud-api\" only*");
    }

    private static string Provider(string driver, string cloudApi) => CatalogText.OneProvider(driver, $"\"cloudApi\": {cloudApi}");

    private static CloudCatalog Load(string json) => CatalogText.Load(json);
}
