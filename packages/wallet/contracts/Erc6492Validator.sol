// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

interface IERC1271 {
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4);
}

/// Never deployed: its creation code runs inside one eth_call (no `to`) and returns one byte, 0x01 when
/// `signature` is `signer`'s over `hash`. An ERC-6492 wrapped signature first deploys the account
/// through its factory (inside the simulation only), then asks the account (ERC-1271). Without code
/// at `signer`, a plain 65-byte signature is checked with ecrecover.
contract Erc6492Validator {
    bytes32 internal constant SUFFIX = 0x6492649264926492649264926492649264926492649264926492649264926492;
    bytes4 internal constant MAGIC = 0x1626ba7e;

    constructor(address signer, bytes32 hash, bytes memory signature) {
        bool valid = check(signer, hash, signature);
        assembly {
            mstore(0, valid)
            return(31, 1)
        }
    }

    function check(address signer, bytes32 hash, bytes memory signature) internal returns (bool) {
        bytes memory inner = signature;
        if (signature.length >= 32 && bytes32(slice(signature, signature.length - 32, 32)) == SUFFIX) {
            (address factory, bytes memory factoryCalldata, bytes memory unwrapped) =
                abi.decode(slice(signature, 0, signature.length - 32), (address, bytes, bytes));
            if (signer.code.length == 0) {
                (bool deployed,) = factory.call(factoryCalldata);
                if (!deployed) return false;
            }
            inner = unwrapped;
        }
        if (signer.code.length > 0) {
            try IERC1271(signer).isValidSignature(hash, inner) returns (bytes4 answer) {
                return answer == MAGIC;
            } catch {
                return false;
            }
        }
        if (inner.length != 65) return false;
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(inner, 32))
            s := mload(add(inner, 64))
            v := byte(0, mload(add(inner, 96)))
        }
        if (v < 27) v += 27;
        address recovered = ecrecover(hash, v, r, s);
        return recovered != address(0) && recovered == signer;
    }

    function slice(bytes memory data, uint256 start, uint256 length) internal pure returns (bytes memory out) {
        out = new bytes(length);
        for (uint256 i = 0; i < length; i++) out[i] = data[start + i];
    }
}
