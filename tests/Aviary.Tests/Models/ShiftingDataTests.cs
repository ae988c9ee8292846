using Aviary.Agents.Data;
using Aviary.Agents.Models;
using Aviary.Models;

namespace Aviary.Tests.Models;

public sealed class ShiftingDataTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    [Fact]
    public void Generate_SameSeed_SameRows_OtherSeed_Others()
    {
        var a = ShiftingData.Generate(50, seed: 4, shift: 0.5);
        var b = ShiftingData.Generate(50, seed: 4, shift: 0.5);
        var c = ShiftingData.Generate(50, seed: 5, shift: 0.5);

        Assert.Equal(a.Rows, b.Rows);
        Assert.NotEqual(a.Rows, c.Rows);
        Assert.Equal(["sqft", "age", "rooms", "distance", "region", "price", "churn"], a.Columns);
    }

    [Fact]
    public void ShiftOne_MovesTwoFeaturesPastSignificantPsi_ShiftZeroStaysStable()
    {
        var reference = ReferenceProfiles.Build(models.Original, ["sqft", "age", "rooms", "distance", "region"]);

        var shifted = DriftCheck.Compare(reference, Count(reference, ShiftingData.Generate(2_000, seed: 11, shift: 1)));
        var same = DriftCheck.Compare(reference, Count(reference, ShiftingData.Generate(2_000, seed: 12, shift: 0)));

        Assert.True(shifted.Features.Count(f => f.Psi >= 0.25) >= 2, string.Join(", ", shifted.Features.Select(f => $"{f.Feature} {f.Psi:0.00}")));
        Assert.True(shifted.Features[0].Drifted && shifted.Features[1].Drifted);
        Assert.False(same.Drifted, string.Join(", ", same.Features.Select(f => $"{f.Feature} {f.Psi:0.000} p {f.PValue:0.000}")));
        Assert.All(same.Features, f => Assert.Equal("stable", f.Band));
    }

    [Fact]
    public void ShiftOne_TheOldModelLosesClearly_TheNewOneDoesWell()
    {
        var (old, fresh) = (ModelPackage.Load(models.PriceV1), ModelPackage.Load(models.PriceV2));
        var (oldChurn, freshChurn) = (ModelPackage.Load(models.ChurnV1), ModelPackage.Load(models.ChurnV2));
        var later = ShiftingData.Generate(1_000, seed: 13, shift: 1);

        var (oldPrice, newPrice) = (old.Evaluate(later), fresh.Evaluate(later));
        var (oldAuc, newAuc) = (oldChurn.Evaluate(later).Auc, freshChurn.Evaluate(later).Auc);

        Assert.True(newPrice.R2 > 0.8, $"new model R² {newPrice.R2}");
        Assert.True(oldPrice.Rmse > 2 * newPrice.Rmse, $"RMSE old {oldPrice.Rmse}, new {newPrice.Rmse}");
        Assert.True(newAuc > 0.75 && oldAuc < 0.5, $"AUC old {oldAuc}, new {newAuc}");
    }

    [Fact]
    public void WriteCsv_TheLoaderReadsTheSameRows()
    {
        var path = Path.Combine(models.Directory, "shift.csv");

        ShiftingData.WriteCsv(path, 100, seed: 3, shift: 0.3);

        Assert.Equal(ShiftingData.Generate(100, 3, 0.3).Rows, DataLoader.Load(path).Data.Rows);
    }

    [Fact]
    public void Generate_ShiftOutOfRange_IsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ShiftingData.Generate(10, 1, 1.5));

        Assert.Equal("shift", error.ParamName);
    }

    private static FeatureCounts[] Count(ReferenceProfile reference, Dataset data) =>
        [.. reference.Features.Select(f =>
        {
            var counts = new long[f.Bins];
            long missing = 0;
            var c = data.ColumnIndex(f.Name);
            foreach (var row in data.Rows)
            {
                var bin = FeatureBinning.Bin(f, row[c]);
                if (bin < 0)
                    missing++;
                else
                    counts[bin]++;
            }
            return new FeatureCounts { Name = f.Name, Counts = counts, Missing = missing };
        })];
}
