using Cairn.Space.CloudRestore.Ssh;

namespace Cairn.Space.CloudRestore.CloudApi;

/// <summary>
/// The <c>cloudApi</c> section of a <c>cloud-api</c> provider in the catalog: the provider's HTTP API
/// (<see cref="BaseUrl"/>), the <see cref="Image"/> its servers boot, the <see cref="User"/> and
/// <see cref="TargetFolder"/> cloud-init makes on them, the provider's server type for each hardware ID
/// (<see cref="ServerTypes"/>), how long a server may take to boot, and where the API token comes from: the
/// environment variable <see cref="TokenVariable"/> or the setting <see cref="TokenSetting"/> (exactly one; the
/// token itself is never in the catalog).
/// </summary>
public sealed record CloudApiProvider(
    string BaseUrl,
    string Image,
    string User,
    string TargetFolder,
    IReadOnlyDictionary<string, string> ServerTypes,
    string? TokenVariable = null,
    string? TokenSetting = null,
    int BootSeconds = CloudApiProvider.DefaultBootSeconds)
{
    public const int DefaultBootSeconds = 600;

    /// <summary>The API's root, ending in '/', so relative paths such as <c>servers</c> resolve under it.</summary>
    public Uri Api => new(BaseUrl.EndsWith('/') ? BaseUrl : BaseUrl + "/", UriKind.Absolute);

    /// <summary>Every problem of this section for the given hardware IDs, each a sentence naming the field; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems(IEnumerable<string> hardwareIds)
    {
        ArgumentNullException.ThrowIfNull(hardwareIds);
        var problems = new List<string>();
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var api) || !(api.Scheme == Uri.UriSchemeHttps || (api.Scheme == Uri.UriSchemeHttp && api.IsLoopback))
            || !string.IsNullOrEmpty(api.Query) || !string.IsNullOrEmpty(api.UserInfo))
        {
            problems.Add($"cloudApi.baseUrl '{BaseUrl}' must be an https URL without a query or user (plain http only on loopback, for tests)");
        }

        if (string.IsNullOrWhiteSpace(Image))
        {
            problems.Add("cloudApi.image must name the image the provider's servers boot (e.g. debian-12)");
        }

        if (!SshTarget.IsUserName(User) || User == "root")
        {
            problems.Add($"cloudApi.user '{User}' must be a POSIX user name other than root (cloud-init makes it on each server)");
        }

        if (!SshTarget.IsFolder(TargetFolder))
        {
            problems.Add($"cloudApi.targetFolder '{TargetFolder}' must be an absolute path below / of letters, digits, '.', '_', '-' and '/' (no '..')");
        }

        if (string.IsNullOrWhiteSpace(TokenVariable) == string.IsNullOrWhiteSpace(TokenSetting))
        {
            problems.Add("cloudApi needs exactly one of tokenVariable (an environment variable) or tokenSetting (a setting) naming where the API token is");
        }

        var missing = hardwareIds.Where(h => ServerTypes is null || !ServerTypes.TryGetValue(h, out var type) || string.IsNullOrWhiteSpace(type)).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"cloudApi.serverTypes names no server type for hardware {string.Join(", ", missing.Select(h => $"'{h}'"))}");
        }

        if (BootSeconds is < 10 or > 3600)
        {
            problems.Add($"cloudApi.bootSeconds {BootSeconds} must be between 10 and 3600");
        }

        return problems;
    }
}
