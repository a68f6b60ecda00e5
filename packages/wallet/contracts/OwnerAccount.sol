// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// A minimal smart account: ERC-1271 says yes when its owner's key signed the hash.
contract OwnerAccount {
    bytes4 internal constant MAGIC = 0x1626ba7e;
    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        return recover(hash, signature) == owner ? MAGIC : bytes4(0xffffffff);
    }

    function recover(bytes32 hash, bytes calldata signature) internal pure returns (address) {
        if (signature.length != 65) return address(0);
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) v += 27;
        return ecrecover(hash, v, r, s);
    }
}

/// Deploys OwnerAccounts at CREATE2 addresses known before deployment (counterfactual accounts).
contract AccountFactory {
    function deploy(address owner, bytes32 salt) external returns (address account) {
        account = address(new OwnerAccount{salt: salt}(owner));
    }

    function addressOf(address owner, bytes32 salt) external view returns (address) {
        bytes32 code = keccak256(abi.encodePacked(type(OwnerAccount).creationCode, abi.encode(owner)));
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), salt, code)))));
    }
}

/// Answers every call with its own calldata: a contract that "returns" the selector without meaning it.
contract EchoAccount {
    fallback(bytes calldata input) external returns (bytes memory) {
        return input;
    }
}
