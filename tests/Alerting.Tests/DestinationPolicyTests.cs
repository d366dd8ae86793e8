using System.Net;
using Microsoft.Extensions.Options;
using SentryFlow.Alerting.Destinations;

namespace SentryFlow.Alerting.Tests;

/// <summary>The destination policy on its own, without connecting anywhere: which literal addresses and names it refuses.</summary>
public sealed class DestinationPolicyTests
{
    private static DestinationPolicy Policy(params string[] allow) =>
        new(Options.Create(new DestinationOptions { Allow = [.. allow] }), new HostResolver());

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.5.5.5")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")] // the cloud metadata service
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a00:1")] // NAT64 of 10.0.0.1
    public void Loopback_private_link_local_and_their_IPv6_forms_are_refused(string address)
    {
        var policy = Policy();

        Assert.False(policy.Allows(IPAddress.Parse(address)));
        Assert.False(policy.AllowsHost(address));
        Assert.False(DestinationPolicy.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    public void Public_addresses_are_allowed(string address)
    {
        Assert.True(Policy().Allows(IPAddress.Parse(address)));
        Assert.True(Policy().AllowsHost(address));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST.")]
    [InlineData("api.localhost")]
    [InlineData("keys")]
    [InlineData("analytics")]
    [InlineData("metadata.google.internal")]
    [InlineData("printer.local")]
    [InlineData("router.lan")]
    [InlineData("[::1]")]
    public void Names_that_say_they_are_internal_are_refused_when_a_channel_is_saved(string host) =>
        Assert.False(Policy().AllowsHost(host));

    [Theory]
    [InlineData("hooks.slack.com")]
    [InlineData("events.pagerduty.com")]
    [InlineData("smtp.example.com")]
    public void Public_names_pass_until_their_address_is_checked_when_connecting(string host) =>
        Assert.True(Policy().AllowsHost(host));

    [Fact]
    public void The_allow_list_admits_its_networks_addresses_and_names_and_nothing_else()
    {
        var policy = Policy("127.0.0.1", "10.20.0.0/16", "fd00:1::/32", "alertmanager.corp");

        Assert.True(policy.Allows(IPAddress.Parse("127.0.0.1")));
        Assert.True(policy.Allows(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.True(policy.Allows(IPAddress.Parse("10.20.3.4")));
        Assert.True(policy.Allows(IPAddress.Parse("fd00:1::5")));
        Assert.True(policy.AllowsHost("alertmanager.corp"));
        Assert.True(policy.AllowsHost("AlertManager.Corp."));
        Assert.False(policy.Allows(IPAddress.Parse("127.0.0.2")));
        Assert.False(policy.Allows(IPAddress.Parse("::1")));
        Assert.False(policy.Allows(IPAddress.Parse("10.21.0.1")));
        Assert.False(policy.Allows(IPAddress.Parse("169.254.169.254")));
        Assert.False(policy.AllowsHost("other.corp"));
        Assert.False(policy.AllowsHost("localhost"));
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("fd00::/8", true)]
    [InlineData("alertmanager.corp.example", true)]
    [InlineData("not a host!", false)]
    [InlineData("", false)]
    public void Allow_list_entries_are_checked_at_start(string entry, bool valid) =>
        Assert.Equal(valid, DestinationPolicy.IsValidEntry(entry));
}
