using SentryFlow.Hosting.Publishing;

namespace SentryFlow.Hosting.ApplicationModel;

/// <summary>
/// A value supplied from outside, usually a secret. Its value comes from configuration
/// (<c>Parameters:{name}</c>, i.e. the environment variable <c>Parameters__{name}</c>) or, for a generated
/// secret, from the state folder where it was generated on the first run.
/// </summary>
public sealed class ParameterResource(string name, Func<string> resolveValue, bool secret, int generatedLength) : Resource(name)
{
    private readonly Lazy<string> _value = new(resolveValue);

    public bool Secret { get; } = secret;

    public string Value => _value.Value;

    internal override void WriteManifest(ManifestWriter writer)
    {
        writer.WriteParameter(Name, Secret, generatedLength);
    }
}
