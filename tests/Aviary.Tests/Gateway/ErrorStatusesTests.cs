using Aviary.Errors;
using Aviary.Gateway;

namespace Aviary.Tests.Gateway;

public sealed class ErrorStatusesTests
{
    [Fact]
    public void Parse_ServerErrorClass_CountsEvery5xxOnly()
    {
        var statuses = ErrorStatuses.Parse("5xx");

        Assert.True(statuses.IsError(500));
        Assert.True(statuses.IsError(503));
        Assert.True(statuses.IsError(599));
        Assert.False(statuses.IsError(404));
        Assert.False(statuses.IsError(200));
    }

    [Fact]
    public void Parse_ClassesAndCodes_Combine()
    {
        var statuses = ErrorStatuses.Parse("5xx, 429,408");

        Assert.True(statuses.IsError(429));
        Assert.True(statuses.IsError(408));
        Assert.False(statuses.IsError(404));
    }

    [Fact]
    public void IsError_StatusOutsideHttpRange_IsAnError()
    {
        Assert.True(ErrorStatuses.Parse("5xx").IsError(700));
    }

    [Theory]
    [InlineData("6xx")]
    [InlineData("99")]
    [InlineData("abc")]
    [InlineData("")]
    public void Parse_Nonsense_NamesTheField(string text)
    {
        var error = Assert.Throws<AviaryValidationException>(() => ErrorStatuses.Parse(text));

        Assert.Equal("error-statuses", error.Field);
    }
}
