using Aviary.Errors;
using Aviary.Routes;

namespace Aviary.Tests.Gateway;

public sealed class RouteValidatorTests
{
    [Theory]
    [InlineData("Shop", "host")]
    [InlineData("shop:8000", "host")]
    [InlineData("http://shop", "host")]
    [InlineData("-shop", "host")]
    [InlineData("sh op", "host")]
    [InlineData("", "host")]
    public void Validate_BadHost_NamesHost(string host, string field)
    {
        var error = Assert.Throws<AviaryValidationException>(() => RouteValidator.Validate(new ServiceRouting { Hosts = [host] }));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Validate_SameHostTwice_IsRefused()
    {
        var error = Assert.Throws<AviaryValidationException>(() => RouteValidator.Validate(new ServiceRouting { Hosts = ["shop", "shop"] }));

        Assert.Equal("host", error.Field);
        Assert.Contains("twice", error.Rule);
    }

    [Theory]
    [InlineData("shop")]
    [InlineData("/shop/")]
    [InlineData("/sh op")]
    [InlineData("//shop")]
    [InlineData("/shop?x=1")]
    public void Validate_BadPathPrefix_NamesIt(string prefix)
    {
        var error = Assert.Throws<AviaryValidationException>(() => RouteValidator.Validate(new ServiceRouting { PathPrefix = prefix }));

        Assert.Equal("path-prefix", error.Field);
    }

    [Fact]
    public void Validate_NeitherHostNorPrefix_IsRefused()
    {
        var error = Assert.Throws<AviaryValidationException>(() => RouteValidator.Validate(new ServiceRouting()));

        Assert.Equal("host", error.Field);
    }

    [Fact]
    public void Validate_BothStickyHeaderAndCookie_IsRefused()
    {
        var error = Assert.Throws<AviaryValidationException>(() =>
            RouteValidator.Validate(new ServiceRouting { Hosts = ["shop"], StickyHeader = "x-user", StickyCookie = "session" }));

        Assert.Equal("sticky-cookie", error.Field);
    }

    [Theory]
    [InlineData("x user")]
    [InlineData("x:user")]
    public void Validate_BadStickyHeader_NamesIt(string header)
    {
        var error = Assert.Throws<AviaryValidationException>(() => RouteValidator.Validate(new ServiceRouting { Hosts = ["shop"], StickyHeader = header }));

        Assert.Equal("sticky-header", error.Field);
    }

    [Fact]
    public void Validate_GoodRouting_IsReturned()
    {
        var routing = new ServiceRouting { Hosts = ["shop", "shop.example.com"], PathPrefix = "/api/shop", StickyHeader = "X-User-Id" };

        Assert.Same(routing, RouteValidator.Validate(routing));
    }

    [Theory]
    [InlineData("127.0.0.1:9000")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("/relative")]
    [InlineData("http://user:pw@127.0.0.1:9000")]
    [InlineData("http://127.0.0.1:9000/?q=1")]
    [InlineData("http://127.0.0.1:9000/#x")]
    [InlineData("")]
    public void ValidateDestinations_BadUrl_NamesTo(string url)
    {
        var error = Assert.Throws<AviaryValidationException>(() => RouteValidator.ValidateDestinations([url]));

        Assert.Equal("to", error.Field);
    }

    [Fact]
    public void ValidateDestinations_Duplicate_IsRefused()
    {
        var error = Assert.Throws<AviaryValidationException>(() => RouteValidator.ValidateDestinations(["http://127.0.0.1:9000", "http://127.0.0.1:9000/"]));

        Assert.Contains("twice", error.Rule);
    }

    [Fact]
    public void ValidateDestinations_TooMany_IsRefused()
    {
        var urls = Enumerable.Range(0, RouteValidator.MaxDestinations + 1).Select(i => $"http://127.0.0.1:{9000 + i}").ToArray();

        Assert.Equal("to", Assert.Throws<AviaryValidationException>(() => RouteValidator.ValidateDestinations(urls)).Field);
    }

    [Fact]
    public void ValidateDestinations_GoodUrls_AreKept()
    {
        string[] urls = ["http://127.0.0.1:9000", "https://shop-v2.internal:8443/base"];

        Assert.Equal(urls, RouteValidator.ValidateDestinations(urls));
    }
}
