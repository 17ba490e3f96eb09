package io.github.cachelayer.entraid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The user name comes from the token's oid claim; a token is untrusted input. */
class TokenClaimsTest {
  @Test
  void theObjectIdIsTheTopLevelOidClaim() {
    String oid = "7c1e9a52-3f0d-4b8e-9a61-0d2f5e8c4b13";
    assertEquals(oid, TokenClaims.objectId(Tokens.forObject(oid)));
  }

  @Test
  void aTokenWithoutOidSaysWhichSettingToUse() {
    String token = Tokens.withPayload("{\"sub\":\"x\",\"nested\":{\"oid\":\"inner\"}}");
    IllegalArgumentException thrown =
        assertThrows(IllegalArgumentException.class, () -> TokenClaims.objectId(token));
    assertTrue(thrown.getMessage().contains("user-name"), thrown.getMessage());
  }

  @Test
  void malformedTokensAreRefusedWithoutQuotingThem() {
    String secretish = "eyJhbGciOi-not-a-jwt-at-all";
    for (String token : new String[] {secretish, secretish + ".%%%." + "x",
        Tokens.withPayload("[1,2,3]"), Tokens.withPayload("{\"oid\":"),
        Tokens.withPayload("{\"oid\":\"has space\"}"), Tokens.withPayload("{\"oid\":42}")}) {
      IllegalArgumentException thrown =
          assertThrows(IllegalArgumentException.class, () -> TokenClaims.objectId(token), token);
      assertFalse(thrown.getMessage().contains(token), thrown.getMessage());
    }
  }

  @Test
  void anOversizedTokenIsRefusedBeforeItIsDecoded() {
    String huge = Tokens.forObject("x") + "a".repeat(TokenClaims.MAX_TOKEN_CHARS);
    IllegalArgumentException thrown =
        assertThrows(IllegalArgumentException.class, () -> TokenClaims.objectId(huge));
    assertTrue(thrown.getMessage().contains("more than the " + TokenClaims.MAX_TOKEN_CHARS),
        thrown.getMessage());
  }
}
